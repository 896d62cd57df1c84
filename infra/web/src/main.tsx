import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiKey, ApiError, forgetApiKey, gql, setApiKey, SIGNED_OUT } from './api';
import { FamilyPage } from './family';
import { HomePage } from './home';
import { initI18n, LANGUAGES, setLanguage, t, words } from './i18n';
import { StepForm } from './step-form';
import './styles.css';

interface Viewer { readonly userId: string; readonly role: string; readonly organization: { readonly id: string; readonly name: string | null } }

/** Routes live in the hash (#/family/<id>, #/new), never the key. */
const useRoute = (): string => {
  const [route, setRoute] = useState(location.hash.slice(1) || '/');
  useEffect(() => {
    const onChange = (): void => setRoute(location.hash.slice(1) || '/');
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
};

const SignIn = ({ onSignedIn }: { onSignedIn: (viewer: Viewer) => void }) => {
  const [problem, setProblem] = useState<string>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const key = input.current?.value.trim() ?? '';
    try {
      const { viewer } = await gql<{ viewer: Viewer }>('{ viewer { userId role organization { id name } } }', {}, key);
      setApiKey(key);
      onSignedIn(viewer);
    } catch (error) {
      setProblem(error instanceof ApiError && error.code === 'UNAVAILABLE' ? t('signIn.unavailable') : t('signIn.wrong'));
      input.current?.focus();
    }
  };
  return (
    <main id="main" class="narrow">
      <h1>{t('signIn.title')}</h1>
      <form onSubmit={(event) => void submit(event)} class="card">
        <label for="api-key">{t('signIn.key')}</label>
        <input ref={input} id="api-key" name="api-key" type="password" autocomplete="off" spellcheck={false} required aria-describedby="api-key-help api-key-problem" aria-invalid={problem ? 'true' : undefined} />
        <p id="api-key-help" class="help">{t('signIn.help')}</p>
        <p id="api-key-problem" class="error" role="alert">{problem}</p>
        <button type="submit">{t('signIn.submit')}</button>
      </form>
    </main>
  );
};

const App = () => {
  const [, setLanguageShown] = useState<string>(document.documentElement.lang);
  const [viewer, setViewer] = useState<Viewer | null | undefined>(apiKey() ? undefined : null);
  const route = useRoute();
  useEffect(() => {
    if (viewer !== undefined) return;
    gql<{ viewer: Viewer }>('{ viewer { userId role organization { id name } } }').then(
      ({ viewer: found }) => setViewer(found),
      () => {
        forgetApiKey();
        setViewer(null);
      },
    );
  }, [viewer]);
  const signOut = (): void => {
    forgetApiKey();
    setViewer(null);
    location.hash = '/';
  };
  useEffect(() => {
    const onRejected = (): void => { if (apiKey()) signOut(); };
    window.addEventListener(SIGNED_OUT, onRejected);
    return () => window.removeEventListener(SIGNED_OUT, onRejected);
  }, []);
  const changeLanguage = (language: string): void => void setLanguage(language).then(() => setLanguageShown(language));
  const familyId = /^\/family\/(.+)$/.exec(route)?.[1];
  return (
    <>
      <a class="skip" href="#main" onClick={(event) => { event.preventDefault(); document.getElementById('main')?.focus(); }}>{t('skip')}</a>
      <header class="top">
        <strong class="brand">{t('appName')}</strong>
        {viewer && (
          <nav aria-label={t('appName')}>
            <a href="#/">{t('nav.home')}</a>
            <a href="#/new">{t('nav.newCase')}</a>
            <a href="/graphql">{t('nav.graphiql')}</a>
          </nav>
        )}
        <label class="language">
          {t('language')}{' '}
          <select value={document.documentElement.lang} onChange={(event) => changeLanguage((event.target as HTMLSelectElement).value)}>
            {LANGUAGES.map((language) => <option value={language} key={language}>{language === 'en' ? 'English' : 'Español'}</option>)}
          </select>
        </label>
        {viewer && (
          <span class="who">
            <span data-testid="viewer">{t('signedInAs', { org: viewer.organization.name ?? viewer.organization.id, role: words(viewer.role) })}</span>{' '}
            <button type="button" onClick={signOut}>{t('signOut')}</button>
          </span>
        )}
      </header>
      {viewer === undefined ? (
        <main id="main" tabIndex={-1}><p role="status">{t('loading')}</p></main>
      ) : viewer === null ? (
        <SignIn onSignedIn={setViewer} />
      ) : familyId ? (
        <FamilyPage id={decodeURIComponent(familyId)} key={`${familyId}:${document.documentElement.lang}`} />
      ) : route === '/new' ? (
        <main id="main" tabIndex={-1} class="narrow">
          <h1>{t('nav.newCase')}</h1>
          <StepForm mutation="openFamilyCase" onDone={(payload) => { if (payload.family) location.hash = `/family/${encodeURIComponent(payload.family.id)}`; }} />
        </main>
      ) : (
        // Remounted in another language: the blockers are loaded again in it.
        <HomePage key={document.documentElement.lang} />
      )}
    </>
  );
};

await initI18n();
render(<App />, document.getElementById('app')!);
