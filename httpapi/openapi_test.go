package httpapi

// docAccess is who may call each route of docRoutes.
var docAccess = map[string]access{}
