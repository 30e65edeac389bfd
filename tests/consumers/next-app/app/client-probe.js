'use client';
// A client component: the browser continues the session the server started (same cookie).
// Built by Turbopack or webpack for the browser, and rendered on the server too (the Node entry).
import { useEffect, useState } from 'react';
import { OAuthStrategy } from 'wix-headless-auth';
import { createCookieStorage } from 'wix-headless-auth/cookie';
import { pageApi } from './page-api.js';

export default function ClientProbe({ clientId, baseUrl }) {
  const [status, setStatus] = useState('loading');
  useEffect(() => {
    const auth = OAuthStrategy({ clientId, baseUrl, storage: createCookieStorage({ clientId }) });
    window.app = pageApi(OAuthStrategy, auth, { clientId, baseUrl });
    setStatus('ready');
  }, [clientId, baseUrl]);
  return <p id="client">{status}</p>;
}
