package httpapi

// movieAccess is who may call each route of movieRoutes.
var movieAccess = map[string]access{}
