import pino from 'pino';
import { loadConfig } from './config.ts';
import { buildApp } from './app/build-app.ts';
import { openRuntime } from './app/runtime.ts';
import { systemClock } from './shared/clock.ts';
import { createMetrics } from './shared/metrics.ts';
import { EventProcessor, observeInto } from './ingest/event-processor.ts';
import { ProcessorHost } from './app/processor-host.ts';
import { ensureDemoShop } from './app/demo/ensure-demo-shop.ts';
import { ensureDemoOwner, type DemoOwner } from './app/demo/ensure-demo-owner.ts';
import { welcomeText } from './app/demo/welcome-text.ts';
import { ensureDashboardBuilt } from './app/dashboard-build.ts';
import { ensureWidgetBuilt } from './app/widget-build.ts';
import { reactions } from './app/reactions.ts';
import { StartupError } from './shared/startup-error.ts';

const SHUTDOWN_GRACE_MS = 25_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization'] });
  const log = {
    info: (msg: string) => logger.info(msg),
    debug: (msg: string) => logger.debug(msg),
    warn: (msg: string) => logger.warn(msg),
  };
  // The dashboard builds (when its sources are newer than its build) while the database starts.
  const dashboardBuild = ensureDashboardBuilt(log).catch((error: unknown) => {
    logger.error({ err: error }, 'the dashboard could not be built; /admin answers 503');
  });
  const widgetBuild = ensureWidgetBuilt(log).catch((error: unknown) => {
    logger.error(
      { err: error },
      'the storefront widget could not be built; /widget.js answers 503',
    );
  });
  const runtime = await openRuntime(config, log);
  await dashboardBuild;
  await widgetBuild;
  const metrics = createMetrics();
  let processor: ProcessorHost | undefined;
  const app = await buildApp({
    db: runtime.db,
    pool: runtime.pool,
    clock: systemClock,
    config,
    box: runtime.box,
    metrics,
    onEventsStored: () => processor?.nudge(),
    logger: logger,
  });

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    try {
      await app.close(); // stops accepting, lets in-flight requests finish
      await processor?.stop(); // finishes the batch in hand
      await runtime.close();
      clearTimeout(force);
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    await runtime.close();
    throw listenFailure(error as NodeJS.ErrnoException, config.port);
  }
  // The demo seed drains the queue itself, before the processor thread takes over.
  const seeder = new EventProcessor(runtime.db, systemClock, logger, {
    reactions,
    observe: observeInto(metrics),
  });
  let demo: Awaited<ReturnType<typeof ensureDemoShop>> | undefined;
  let owner: DemoOwner | undefined;
  try {
    if (config.demo) {
      demo = await ensureDemoShop(
        runtime.db,
        systemClock,
        runtime.box,
        config.dataDir,
        seeder,
        log,
      );
      owner = await ensureDemoOwner(runtime.db, systemClock, config.dataDir, demo.shopId);
    }
  } catch (error) {
    if (shuttingDown) return; // Ctrl+C during the seed: shutdown() closed the database under it
    throw error;
  }
  if (shuttingDown) return;
  if (config.runProcessor) {
    processor = new ProcessorHost(
      {
        databaseUrl: runtime.databaseUrl,
        poolSize: 4,
        logLevel: config.logLevel,
        secretKey: runtime.box.exportKey(),
        publicUrl: config.publicUrl,
        smtpUrl: config.smtpUrl,
        mailFrom: config.mailFrom,
        outboundPorts: config.outboundPorts,
        platformPrivateNetworks: config.platformPrivateNetworks,
      },
      metrics,
      (error) => logger.error({ err: error }, 'the event processor thread failed'),
    );
    await processor.ready;
  }
  if (shuttingDown) return;
  if (demo && owner) process.stdout.write(welcomeText(config.publicUrl, demo, owner));
  logger.info('started');
}

function listenFailure(error: NodeJS.ErrnoException, port: number): Error {
  if (error.code === 'EADDRINUSE')
    return new StartupError(
      `Port ${port} is taken by another program: stop it, or set PORT to a free port.`,
    );
  if (error.code === 'EACCES')
    return new StartupError(`Lojal may not listen on port ${port}: set PORT to a port above 1023.`);
  return error;
}

main().catch((error) => {
  // A StartupError says why and what to do in one line; anything else is a bug: show its stack.
  if (error instanceof StartupError) process.stderr.write(`${error.message}\n`);
  else console.error(error);
  process.exit(1);
});
