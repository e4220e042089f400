# syntax=docker/dockerfile:1
#
# One image for every role of the InfraRed network graph: the CLI is the entrypoint, so
#   docker run IMAGE gateway start        (the default)
#   docker run IMAGE member start         (settings from INFRARED_MEMBER_ID, DATABASE_URL, ...)
#   docker run IMAGE member import FILE
# See docker-compose.yml and deploy/README.md for a whole network.

# ---- build: compile the TypeScript and the web pages, then drop the dev dependencies ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NODE_ENV=development
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# compiled tests are not shipped
RUN npm run build && rm -rf dist/test && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: only what the CLI needs, as an unprivileged user ----
FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0
# Files stay owned by root (read-only for the app); only the embedded-database folder is writable.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schema ./schema
COPY --from=build /app/demo ./demo
RUN mkdir -p /app/.infrared && chown node:node /app/.infrared
USER node
EXPOSE 4000 4001
# Members set PORT=4001; the gateway listens on 4000 by default. No curl in slim images: node does the GET.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('http').get('http://127.0.0.1:'+(process.env.PORT||4000)+'/health',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).setTimeout(4000,()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/scripts/cli/infrared.js"]
CMD ["gateway", "start"]
