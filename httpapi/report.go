package httpapi

// reportRoutes lists the routes of /api/v1/reports.
func (s *server) reportRoutes() []route {
	return []route{
		{"GET /api/v1/reports/user-favorites", adminAccess, handle(s.userFavoritesReport)},
	}
}
