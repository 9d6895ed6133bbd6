<?php

use App\Http\Controllers\OrderController;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Cache;
use Illuminate\Support\Facades\Http;
use Illuminate\Support\Facades\Route;

Route::get('/', function () { // route: GET laravel
    return view('welcome');
});

Route::get('/health', fn () => ['ok' => true]); // route: GET laravel

Route::post('orders/{order}/cancel', function (Request $request, int $order) { // route: POST laravel
    return response()->noContent();
});

Route::any('/webhook', function (Request $request) { // route: * laravel
    return 'ok';
});

Route::match(['GET', 'POST'], '/search', function (Request $request) { // route: GET,POST laravel
    return [];
});

Route::middleware(['auth'])->group(function () { // not-route
    Route::delete('/orders/{id}', function (int $id) { // route: DELETE laravel
        return response()->noContent();
    });
    Route::get('/orders', [OrderController::class, 'index'])->name('orders.index');
    Route::post('/orders', [WebOrderController::class, 'store']);
    Route::put('/orders/{id}', 'WebOrderController@update');
    Route::get('/orders/{id}/invoice', InvoiceController::class);
});

Route::prefix('admin')->group(function () { // not-route
    Route::view('/about', 'about');
    Route::redirect('/here', '/there');
});

Route::resource('photos', PhotoController::class);

Route::controller(WebOrderController::class)->group(function () { // not-route
    Route::get('/orders/export', 'export');
});

$stats = Cache::remember('stats', 60, function () { // not-route
    return ['orders' => 1];
});

$response = Http::get('https://example.com/api', ['q' => 1]);

$value = collect(['a' => 1])->get('missing', function () { // not-route
    return 0;
});

class WebOrderController
{
    public function store(Request $request) // route: POST laravel
    {
        return redirect('/orders');
    }

    public function update(Request $request, int $id) // route: PUT laravel
    {
        return redirect('/orders');
    }

    public function export() // todo-route: GET laravel
    {
        return response()->streamDownload(fn () => null, 'orders.csv');
    }

    public function unused() // not-route
    {
        return null;
    }
}

final class InvoiceController
{
    public function __invoke(int $id) // route: GET laravel
    {
        return response()->download("invoices/$id.pdf");
    }
}
