"""Django's Redis cache backend, with one Redis client per connection pool.

Django's backend builds a new `redis.Redis` object for every cache call; each one copies
redis-py's table of response callbacks (a few hundred entries), about a tenth of a millisecond
of CPU, and a signed-in page makes several calls (session, user, roles, notifications). The
client is thread-safe and holds no state of its own beyond its pool, so one per pool suffices.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
