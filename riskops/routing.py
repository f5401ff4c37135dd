"""WebSocket routes. Each app's consumers are listed here."""

from live.routing import websocket_urlpatterns as live_routes

websocket_urlpatterns = [*live_routes]
