import { realpath, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { VideoRow } from '../../store/schema.js';
import { HttpError, notFound } from '../errors.js';
import { errorBody, idParams, video, videoWithSegments } from '../schemas.js';
import type { ServerContext } from '../context.js';

const publicVideo = (v: VideoRow) => ({
  id: v.id, path: v.path, domain: v.domain, duration: v.duration, fps: v.fps, width: v.width, height: v.height, codec: v.codec, segments: v.segments, indexed_at: v.indexed_at,
});

/**
 * The real path of an indexed video's file, if it is still the file that was indexed: a regular
 * file of the indexed size. A path replaced since (by a link elsewhere, or another file) is a 404.
 */
async function indexedFile(v: VideoRow): Promise<string> {
  const real = await realpath(v.path).catch(() => undefined);
  const info = real ? await stat(real).catch(() => undefined) : undefined;
  if (!real || !info?.isFile() || info.size !== v.size) throw new HttpError(404, `video ${v.id}: its file is gone or has changed since it was indexed`);
  return real;
}

/** Videos, their segments, segment thumbnails and the video files themselves (with byte ranges). */
export function libraryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const requireVideo = async (id: string) => (await ctx.session.video(id)) ?? Promise.reject(notFound(`video ${id}`));

  api.get('/api/videos', {
    schema: { summary: 'indexed videos, by path', querystring: z.object({ domain: z.string().optional() }), response: { 200: z.object({ videos: z.array(video) }) } },
  }, async (request) => ({ videos: (await ctx.session.videos(request.query)).map(publicVideo) }));

  api.get('/api/videos/:id', {
    schema: { summary: 'one video with its segments in time order', params: idParams, response: { 200: videoWithSegments, 404: errorBody } },
  }, async (request) => {
    const v = await requireVideo(request.params.id);
    const segmentList = (await ctx.session.segments(v.id)).map(({ id, video_id, idx, start, end, domain }) => ({ id, video_id, idx, start, end, domain }));
    return { ...publicVideo(v), segmentList };
  });

  api.get('/api/videos/:id/stream', {
    schema: { summary: 'the video file; honours Range (206 with the bytes asked for)', params: idParams },
  }, async (request, reply) => {
    const real = await indexedFile(await requireVideo(request.params.id));
    return reply.header('Cache-Control', 'private, max-age=60').sendFile(basename(real), dirname(real), { dotfiles: 'allow', acceptRanges: true, index: false });
  });

  api.get('/api/segments/:id/thumbnail', {
    schema: { summary: 'a JPEG of the frame in the middle of the segment', params: idParams },
  }, async (request, reply) => {
    const segment = await ctx.session.segment(request.params.id);
    if (!segment) throw notFound(`segment ${request.params.id}`);
    const real = await indexedFile(await requireVideo(segment.video_id));
    const jpeg = await ctx.thumbnails.get(segment.id, real, segment.start, segment.end);
    if (!jpeg) throw new HttpError(404, `segment ${segment.id}: ffmpeg could not make a thumbnail`);
    return reply.type('image/jpeg').header('Cache-Control', 'private, max-age=3600').send(jpeg);
  });
}
