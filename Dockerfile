# minesweep controller image: `docker build -t minesweep .` — used by deploy/kubernetes/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY templates ./templates
COPY playbooks ./playbooks
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
# ssh -G gives minesweep the effective OpenSSH settings (ProxyJump, Match, ssh_config)
RUN apt-get update && apt-get install -y --no-install-recommends openssh-client && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# read at run time (src/core/paths.ts): the catalogue, report templates, built-in playbooks
COPY --from=build /app/src/catalogue ./src/catalogue
COPY --from=build /app/templates ./templates
COPY --from=build /app/playbooks ./playbooks
USER node
ENTRYPOINT ["node", "/app/dist/cli.js"]
