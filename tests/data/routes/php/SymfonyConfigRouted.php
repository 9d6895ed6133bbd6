<?php

namespace App\Controller\Admin;

use Symfony\Component\HttpFoundation\Response;

class ReportController
{
    public function daily(): Response // route: ? symfony
    {
        return new Response('');
    }

    protected function render(string $view): Response // not-route
    {
        return new Response($view);
    }
}

function helper(): int // not-route
{
    return 1;
}
