<?php

namespace App\Api;

use Illuminate\Routing\Controller as BaseController;

abstract class ApiController extends BaseController
{
    abstract public function resource(): string; // not-route

    protected function respond($data) // not-route
    {
        return response()->json($data);
    }
}

class ProductController extends ApiController
{
    public function index() // route: GET laravel
    {
        return $this->respond([]);
    }

    public function show(int $id) // route: GET laravel
    {
        return $this->respond(['id' => $id]);
    }

    public function resource(): string // route: ? laravel
    {
        return 'products';
    }
}

class ProductRepository // not-route
{
    public function index() // not-route
    {
        return [];
    }

    public function get(int $id) // not-route
    {
        return null;
    }
}

interface OrderControllerContract
{
    public function index(); // not-route
}

class Helpers
{
    public function create() // not-route
    {
        return new self();
    }
}
