package httpapi

// reportAccess is who may call each report route.
var reportAccess = map[string]access{
	"GET /api/v1/reports/user-favorites": adminAccess,
}
