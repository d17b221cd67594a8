import { buildOpenApiDocument } from '@/server/openapi/build-document.ts';
import { route } from '@/server/route.ts';

export const dynamic = 'force-dynamic';

export const GET = route({ auth: 'public' }, async () => ({ body: buildOpenApiDocument() }));
