import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * GraphiQL as the tracker serves it at GET /graphql (not in production): the editor, its
 * styles and workers are inlined from @graphql-yoga/render-graphiql, so the page loads nothing
 * from any other host and works offline. A form above it takes the API key once; the key is
 * kept in this tab's sessionStorage (never localStorage, never a URL) and added as
 * `Authorization: Bearer <key>` to every request the page sends to /graphql, queries and SSE
 * subscriptions alike. GraphiQL's own header persistence stays off.
 */
export const graphiqlOptions = (): GraphiQLOptions => ({
  title: 'Family reunification tracker: GraphiQL',
  shouldPersistHeaders: false,
  defaultTabs: EXAMPLE_OPERATIONS.map((query) => ({ query })),
});

/** The example operations, one per tab (checked against the schema in a unit test). */
export const EXAMPLE_OPERATIONS: readonly string[] = [
  `# Who am I? (enter your API key in the form above first)
query Viewer {
  viewer { userId role organization { id name } }
}`,
  `# My organisation's families, with status, blockers and the next deadline
query Families {
  families(first: 20) {
    totalCount
    edges { node { id status blockers nextDeadline { kind dueOn daysLeft dueMonth } } }
  }
}`,
  `# One family (paste an id from Families)
query Family($id: ID!) {
  family(id: $id) {
    id status revision blockers
    children { id givenName nationality custody }
    relatives { id givenName relationship locationStatus }
    deadlines { kind dueOn daysLeft status }
    documents { id documentType status }
    referrals { toOrganization { id } scope status }
  }
}`,
  `# The deadlines of the next 60 days, soonest first
query Deadlines {
  upcomingDeadlines(withinDays: 60) { familyId kind dueOn daysLeft }
}`,
  `# Record a contact attempt (the commandId makes a retry record nothing twice)
mutation ContactAttempt($familyId: ID!, $relativeId: ID!, $commandId: ID!) {
  recordContactAttempt(input: { familyId: $familyId, relativeId: $relativeId, channel: PHONE, result: NO_ANSWER, commandId: $commandId }) {
    replayed revision family { status blockers }
  }
}`,
  `# Live status changes of my families (Server-Sent Events)
subscription StatusChanges {
  familyStatusChanged { familyId previousStatus status occurredAt }
}`,
];

const KEY_FORM = /* HTML */ `
  <style>
    #tracker-key { display: flex; gap: .5rem; align-items: center; height: 3rem; padding: 0 1rem; box-sizing: border-box; font: 14px system-ui, sans-serif; background: #1b2b3a; color: #fff; }
    #tracker-key input { flex: 0 1 28rem; padding: .3rem .5rem; font: inherit; }
    #tracker-key button { padding: .3rem .8rem; font: inherit; }
    #root { height: calc(100vh - 3rem); }
  </style>
  <form id="tracker-key" aria-label="Your API key">
    <label for="tracker-key-input">API key</label>
    <input id="tracker-key-input" name="key" type="password" autocomplete="off" spellcheck="false" placeholder="trk_..." />
    <button type="submit" id="tracker-key-use">Use this key</button>
    <button type="button" id="tracker-key-forget">Forget the key</button>
    <span id="tracker-key-status" role="status"></span>
  </form>
  <script>
    (function () {
      var STORE = 'tracker.apiKey';
      var form = document.getElementById('tracker-key');
      var input = document.getElementById('tracker-key-input');
      var status = document.getElementById('tracker-key-status');
      var show = function () {
        status.textContent = sessionStorage.getItem(STORE) ? 'Key set for this tab: every request sends it.' : 'No key yet: enter yours to run operations.';
      };
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (input.value.trim()) sessionStorage.setItem(STORE, input.value.trim());
        input.value = '';
        show();
      });
      document.getElementById('tracker-key-forget').addEventListener('click', function () {
        sessionStorage.removeItem(STORE);
        show();
      });
      show();
      var send = window.fetch.bind(window);
      window.fetch = function (resource, init) {
        var key = sessionStorage.getItem(STORE);
        var url = new URL(resource instanceof Request ? resource.url : String(resource), location.href);
        if (!key || url.origin !== location.origin || url.pathname !== '/graphql') return send(resource, init);
        var headers = new Headers((init && init.headers) || (resource instanceof Request ? resource.headers : undefined));
        if (!headers.has('authorization')) headers.set('authorization', 'Bearer ' + key);
        return send(resource, Object.assign({}, init, { headers: headers }));
      };
    })();
  </script>`;

/** yoga's GraphiQL page with the key form (and its fetch wrapper) before GraphiQL's own script. */
export const renderTrackerGraphiQL = (options: GraphiQLOptions): string => {
  const page = renderGraphiQL(options);
  const body = '<div id="root"></div>';
  if (!page.includes(body)) throw new Error('GraphiQL page: the root element moved; update infra/http/graphiql.ts');
  return page.replace(body, `${KEY_FORM}\n${body}`);
};
