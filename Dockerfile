# cloud-data-operator image (first version; hardened with the install manifests in issue 5).
# Multi-stage: compile TypeScript with the dev dependencies, then ship only the production
# dependencies and dist/ on a distroless Node 24 base: no shell, no package manager, non-root.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `node` devDependency would download a second Node 24; the image has one.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Numeric user so `runAsNonRoot` can be verified by the kubelet.
USER 65532:65532
# 8080: /healthz, /readyz (plain HTTP); 8443: /metrics (HTTPS, CDO_METRICS_SECURE).
EXPOSE 8080 8443
# The distroless entrypoint is node; SIGTERM reaches it directly (PID 1) and the manager
# shuts down gracefully.
# --max-semi-space-size=4 (MiB): V8 sizes its young generation for throughput, lets it grow to
# tens of MiB and keeps it committed; an operator allocates in short bursts (a LIST, a round of
# reconciles) and idles in between. Measured with bench/idle-memory.ts (docs/development.md,
# "Memory"): RSS at rest 102 → 93 MiB; after reconciling 1,000 objects about 200-210 → 150-165
# MiB, 3,000 objects 280-310 → 160-200 MiB; CPU time the same within noise. 2 MiB saves a few MiB
# more; 4 leaves a margin for larger bursts (big LIST pages) at little cost.
CMD ["--max-semi-space-size=4", "dist/main.js"]
