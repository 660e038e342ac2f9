-- SQLite twin of migrations/postgres/0016_file_uploader.sql.
-- Who uploaded each file, so that a user may choose as their avatar only
-- an image they uploaded themselves (PUT /me/avatar {"file_id"}), not any
-- file of the catalog. Uploads set it; files from before this migration,
-- imported files and images by reference keep NULL, and nobody can choose
-- them by id. Adding a nullable column without a default rewrites no rows.
--
-- A user's deletion leaves their uploads in place, unowned. The index
-- serves that SET NULL, which would otherwise scan every file.
ALTER TABLE img_files ADD COLUMN uploader_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX img_files_uploader_id_idx ON img_files (uploader_id);
