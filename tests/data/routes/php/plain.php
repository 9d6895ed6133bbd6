<?php

namespace App\Services;

use App\Models\Order;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Foundation\Http\FormRequest;

class OrderService
{
    public function index(): array // not-route
    {
        return Order::get()->all();
    }

    public function store(array $data): Order // not-route
    {
        return Order::create($data);
    }
}

class StoreOrderRequest extends FormRequest
{
    public function rules(): array // not-route
    {
        return ['total' => 'required'];
    }
}

class Product extends Model
{
    public function show() // not-route
    {
        return $this->name;
    }
}

function index() // not-route
{
    return array_map(function ($x) { return $x; }, [1, 2]); // not-route
}

$map = new \Ds\Map();
$map->get('key', function () { return 1; }); // not-route

\Illuminate\Support\Facades\Route::patch('/orders/{id}', function (int $id) { // route: PATCH laravel
    return $id;
});
