-- Movies by country and release date, with their duration: the classic
-- multi-filter search (a country, released since a date, longer than some
-- minutes, newest first) reads this index alone to pick and count its
-- movies, instead of every movie of the country. It also serves the
-- foreign key, so the index on country_id alone goes.
CREATE INDEX movies_country_release_idx ON movies (country_id, release_date, duration, id);
DROP INDEX movies_country_id_idx;
