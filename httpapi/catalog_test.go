package httpapi

// catalogAccess is who may call each route of catalogRoutes.
var catalogAccess = map[string]access{}
