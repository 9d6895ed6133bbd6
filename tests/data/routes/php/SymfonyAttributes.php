<?php

namespace App\Controller;

use App\Repository\OrderRepository;
use Symfony\Bundle\FrameworkBundle\Controller\AbstractController;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\Routing\Attribute\Route;

#[Route('/api/orders', name: 'api_orders_')]
class OrderController extends AbstractController
{
    public function __construct(private OrderRepository $orders) // not-route
    {
    }

    #[Route('', name: 'list', methods: ['GET'])] // route: GET symfony
    public function list(): JsonResponse
    {
        return $this->json($this->orders->findAll());
    }

    #[Route('/{id}', name: 'show', methods: ['GET', 'HEAD'], requirements: ['id' => '\d+'])] // route: GET,HEAD symfony
    public function show(int $id): JsonResponse
    {
        return $this->json($this->orders->find($id));
    }

    #[Route( // route: POST symfony
        path: '/{id}/delete',
        name: 'delete',
        methods: ['POST'],
    )]
    public function delete(int $id): JsonResponse
    {
        return $this->json(null, 204);
    }

    #[Route('/export', name: 'export')] // route: * symfony
    public function export(): JsonResponse
    {
        return $this->json([]);
    }

    #[Route(name: 'stats', path: '/stats', methods: 'GET')] // route: GET symfony
    public function stats(): JsonResponse
    {
        return $this->json([]);
    }

    public function preview(Request $request): JsonResponse // route: ? symfony
    {
        return $this->json([]);
    }

    private function serialize(array $orders): array // not-route
    {
        return $orders;
    }

    #[Required] // not-route
    public function setLogger(\Psr\Log\LoggerInterface $logger): void
    {
    }
}
