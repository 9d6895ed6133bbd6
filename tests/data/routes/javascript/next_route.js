import { NextResponse } from 'next/server';

export async function GET(request) { // route: GET nextjs
  return NextResponse.json([]);
}

export const POST = async (request) => { // route: POST nextjs
  return NextResponse.json({}, { status: 201 });
};

function parse(request) { // not-route
  return request.json();
}

export function revalidateTag(tag) { // not-route
  return tag;
}
