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
EXPOSE 8080
# The distroless entrypoint is node; SIGTERM reaches it directly (PID 1) and the manager
# shuts down gracefully.
CMD ["dist/main.js"]
