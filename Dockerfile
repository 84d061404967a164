# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build

# Runtime stage: production dependencies only, non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
# glibc's malloc: keep large blocks (128 KiB and up) in mappings of their own, given back when freed (see README, "Memory").
ENV MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY models ./models
# The seed corpus is copied in; mount your own over /app/corpus (see docker-compose.yml).
COPY corpus ./corpus
# Added and fetched articles (FETCHED_DIR): writable by the bot, and a new volume mounted here takes this ownership.
RUN mkdir -p /app/.sitrep-cache /app/fetched && chown -R node:node /app/.sitrep-cache /app/fetched
USER node
ENV CORPUS_DIR=/app/corpus CACHE_DIR=/app/.sitrep-cache FETCHED_DIR=/app/fetched HEALTH_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# `npm start` runs the bot with `exec`, so npm's child is node itself and the SIGTERM of
# `docker stop` reaches it: the bot finishes what it is answering and exits 0.
CMD ["npm", "start"]
