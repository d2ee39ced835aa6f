"""django-prometheus's request metrics (counts, latency by view and method, sizes), with the
method label bounded: its latency histogram labels the raw method, so a client sending made-up
methods would add a new series per word, in every process's metrics files."""

from django_prometheus import middleware


class _BoundedLabels:
    def label_metric(self, metric, request, response=None, **labels):
        if "method" in labels:
            labels["method"] = self._method(request)
        return super().label_metric(metric, request, response, **labels)


class PrometheusBeforeMiddleware(middleware.PrometheusBeforeMiddleware):
    """Counts every request and its latency including the other middlewares."""


class PrometheusAfterMiddleware(_BoundedLabels, middleware.PrometheusAfterMiddleware):
    """Counts and times each request by view name (the URL pattern's, never the path)."""
