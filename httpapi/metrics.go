package httpapi

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics are the Prometheus metrics of the HTTP server. Routes are
// labelled by their pattern, never by the raw path, so the number of series
// stays bounded whatever clients send.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer, version string) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "moviedb_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status code.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "moviedb_http_request_duration_seconds",
			Help:    "Time taken to answer HTTP requests, by method and route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "moviedb_build_info",
		Help:        "Always 1; the version label says which moviedb is running.",
		ConstLabels: prometheus.Labels{"version": version},
	})
	build.Set(1)
	reg.MustRegister(m.requests, m.duration, build)
	return m
}

// metricMethod returns method when it is a standard HTTP method and "other"
// otherwise, so that clients cannot grow the label set.
func metricMethod(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}
