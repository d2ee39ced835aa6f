"""API answers are one caller's data (answers, notes, scores): never kept by a browser or a
proxy. The pages get the same from units.middleware.IdleSessionMiddleware, which sees only
session callers."""

from django.utils.cache import patch_cache_control

from core.middleware import API_PREFIX


class ApiNoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(API_PREFIX) and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response
