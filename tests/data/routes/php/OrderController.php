<?php

namespace App\Http\Controllers;

use App\Models\Order;
use App\Services\OrderService;
use Illuminate\Http\Request;

class OrderController extends Controller
{
    public function __construct(private OrderService $orders) // not-route
    {
        $this->middleware('auth');
    }

    public function index(Request $request) // route: GET laravel
    {
        return $this->orders->list($request->user());
    }

    public function create() // route: GET laravel
    {
        return view('orders.create');
    }

    public function store(Request $request) // route: POST laravel
    {
        return $this->orders->create($request->validated());
    }

    public function show(Order $order) // route: GET laravel
    {
        return $order;
    }

    public function edit(Order $order) // route: GET laravel
    {
        return view('orders.edit', ['order' => $order]);
    }

    public function update(Request $request, Order $order) // route: PUT,PATCH laravel
    {
        $order->update($request->all());
        return $order;
    }

    public function destroy(Order $order) // route: DELETE laravel
    {
        $order->delete();
        return response()->noContent();
    }

    public function export(Request $request) // route: ? laravel
    {
        return $this->orders->export();
    }

    function legacy() // route: ? laravel
    {
        return 'legacy';
    }

    protected function authorizeOwner(Order $order): void // not-route
    {
        abort_unless($order->user_id === auth()->id(), 403);
    }

    private function filters(Request $request): array // not-route
    {
        return $request->only(['status']);
    }

    public static function rules(): array // not-route
    {
        return ['status' => 'required'];
    }
}
