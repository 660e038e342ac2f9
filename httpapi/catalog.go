package httpapi

// catalogRoutes lists the routes of the catalog besides movies: countries,
// genres, characters and persons with their photos.
func (s *server) catalogRoutes() []route {
	return nil
}
