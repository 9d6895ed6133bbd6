import { NextRequest, NextResponse } from 'next/server';
import { db } from '@/lib/db';

export async function GET(request: NextRequest) { // route: GET nextjs
  const orders = await db.order.findMany();
  return NextResponse.json(orders);
}

export const DELETE = async (request: NextRequest, { params }: { params: { id: string } }) => { // route: DELETE nextjs
  return new NextResponse(null, { status: 204 });
};

async function loadUser(request: NextRequest) { // not-route
  return null;
}

export const dynamic = 'force-dynamic';

async function handler(request: NextRequest) { // route: PUT nextjs
  return NextResponse.json({});
}

export { handler as PUT };
