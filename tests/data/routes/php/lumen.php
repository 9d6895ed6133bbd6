<?php

/** @var \Laravel\Lumen\Routing\Router $router */

$router->get('/', function () use ($router) { // route: GET laravel
    return $router->app->version();
});

$router->post('/users', ['middleware' => 'auth', function () { // route: POST laravel
    return response('', 201);
}]);

$router->get('/users/{id}', ['as' => 'user.show', 'uses' => 'UserController@show']);

$router->group(['prefix' => 'api'], function () use ($router) { // not-route
    $router->delete('/users/{id}', function ($id) { // route: DELETE laravel
        return response('', 204);
    });
});

$config = $container->get('config', function () { // not-route
    return [];
});

$route->get('name', function () { // not-route
    return 'no leading slash: not a route path';
});

class UserController
{
    public function show($id) // route: GET laravel
    {
        return ['id' => $id];
    }
}
