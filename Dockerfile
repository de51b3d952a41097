# Nightshift as a container: built from this repository, run as an unprivileged user, data in a volume.
#   docker build -t nightshift .
#   docker run -d -p 8080:8080 -v nightshift-data:/var/lib/nightshift -e NIGHTSHIFT_HOST=0.0.0.0 nightshift
FROM node:20-bookworm-slim AS build
WORKDIR /src
# better-sqlite3 is compiled from source (npm 11 runs its install script because package.json allows it).
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    NIGHTSHIFT_DATA_DIR=/var/lib/nightshift \
    NIGHTSHIFT_PORT=8080
RUN groupadd --system nightshift && useradd --system --gid nightshift --home-dir /var/lib/nightshift nightshift \
    && mkdir -p /var/lib/nightshift && chown nightshift:nightshift /var/lib/nightshift && chmod 0700 /var/lib/nightshift
WORKDIR /opt/nightshift
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/bin ./bin
COPY --from=build /src/dist ./dist
COPY --from=build /src/web/dist ./web/dist
USER nightshift
VOLUME ["/var/lib/nightshift"]
EXPOSE 8080
# SIGTERM drains: running scripts checkpoint and are re-queued; give them the time (docker stop -t 60).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "/opt/nightshift/bin/nightshift.js"]
CMD ["serve"]
