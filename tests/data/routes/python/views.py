from django.http import JsonResponse
from django.views import View
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import ListView
from rest_framework import viewsets
from rest_framework.decorators import action, api_view
from rest_framework.views import APIView


def order_list(request):  # route: ? django
    return JsonResponse({})


@require_GET
def order_detail(request, pk):  # route: GET django
    return JsonResponse({})


@require_http_methods(["GET", "POST"])
def order_form(request):  # route: GET,POST django
    return JsonResponse({})


def _helper(orders):  # not-route
    return orders


def format_total(value):  # not-route
    return f"{value:.2f}"


@api_view(["GET", "POST"])
def api_orders(request):  # route: GET,POST drf
    return JsonResponse({})


class OrderView(View):
    def get(self, request):  # route: GET django
        return JsonResponse({})

    def get_context_data(self, **kwargs):  # not-route
        return {}


class OrderListView(LoginRequiredMixin, ListView):
    def get_queryset(self):  # not-route
        return []


class Orders(APIView):
    def get(self, request):  # route: GET drf
        return JsonResponse({})

    def post(self, request):  # route: POST drf
        return JsonResponse({})


class OrderViewSet(viewsets.ModelViewSet):
    def list(self, request):  # route: GET drf
        return JsonResponse({})

    def destroy(self, request, pk=None):  # route: DELETE drf
        return JsonResponse({})

    def perform_create(self, serializer):  # not-route
        serializer.save()

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):  # route: POST drf
        return JsonResponse({})
