package httpapi

// docRoutes lists the routes that describe the API: the OpenAPI document
// and the page rendering it.
func (s *server) docRoutes() []route {
	return nil
}
