// Runs before every page and route: makes sure the request carries a usable session (a new
// visitor on the first visit, refreshed tokens when the access token expired, a fresh visitor in
// place of a cookie that is malformed or another app's) and hands it on, to the render (Next.js
// passes cookies set here to `cookies()`) and to the browser (Set-Cookie).
import { NextResponse } from 'next/server';
import { wixAuth } from './app/wix.js';

export async function proxy(request) {
  const response = NextResponse.next();
  await wixAuth(request.cookies, response.cookies).getAuthHeaders();
  return response;
}

export const config = { matcher: ['/', '/api/:path*'] };
