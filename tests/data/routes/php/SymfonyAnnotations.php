<?php

namespace App\Controller;

use FOS\RestBundle\Controller\Annotations as Rest;
use Sensio\Bundle\FrameworkExtraBundle\Configuration\Method;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\Routing\Annotation\Route;

/**
 * @Route("/blog")
 */
class BlogController
{
    /**
     * Lists posts.
     *
     * @Route("/", name="blog_index", methods={"GET"})
     * @return Response
     */
    public function index(): Response // route: GET symfony
    {
        return new Response('');
    }

    /**
     * @Route("/{slug}/comment", name="blog_comment", methods={"POST", "PUT"})
     */
    public function comment(string $slug): Response // route: POST,PUT symfony
    {
        return new Response('');
    }

    /**
     * @Route("/legacy/{id}")
     * @Method({"GET", "HEAD"})
     */
    public function legacy(int $id): Response // route: GET,HEAD symfony
    {
        return new Response('');
    }

    /**
     * @Route("/any")
     */
    public function any(): Response // route: * symfony
    {
        return new Response('');
    }

    /**
     * @Rest\Get("/api/posts")
     */
    public function apiList(): Response // route: GET symfony
    {
        return new Response('');
    }

    #[Rest\Delete('/api/posts/{id}')] // route: DELETE symfony
    public function apiDelete(int $id): Response
    {
        return new Response('');
    }

    /**
     * Formats a date (see @link(https://php.net)).
     * @param string $date
     */
    public function format(string $date): string // not-route
    {
        return $date;
    }

    /**
     * @Route("/private")
     */
    private function hidden(): Response // not-route
    {
        return new Response('');
    }
}
