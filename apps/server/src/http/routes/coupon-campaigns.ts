import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

export function couponCampaignRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
