package httpapi

// movieRoutes lists the routes of /api/v1/movies and what hangs under it:
// genre links and cast.
func (s *server) movieRoutes() []route {
	return nil
}
