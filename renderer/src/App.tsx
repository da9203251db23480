/** The PhotoPool window: inputs, recipe, controls, live view, chart, failures, preview. */
import { useEffect, useState } from 'react';
import type { FolderInfo, PhotoPoolApi } from '../../common/contract.js';
import { RequestError } from '../../common/wire.js';
import { Chart } from './components/Chart.js';
import { CompareView } from './components/CompareView.js';
import { Controls } from './components/Controls.js';
import { Failures } from './components/Failures.js';
import { FolderPicker } from './components/FolderPicker.js';
import { Inputs } from './components/Inputs.js';
import { LiveView } from './components/LiveView.js';
import { Preview } from './components/Preview.js';
import { RecipeForm } from './components/RecipeForm.js';
import { Tabs } from './components/Tabs.js';
import { useModel } from './model.js';
import { DEFAULT_RECIPE, problemsOf, validate, type Problems, type Recipe } from './recipe.js';

const RECIPE_KEY = 'photopool.recipe';
const TAB_KEY = 'photopool.tab';
const TABS = [
  { id: 'convert', label: 'Convert' },
  { id: 'compare', label: 'Compare' },
] as const;
type Tab = (typeof TABS)[number]['id'];
const loadRecipe = (): Recipe => {
  try {
    return { ...DEFAULT_RECIPE, ...(JSON.parse(localStorage.getItem(RECIPE_KEY) ?? '{}') as Partial<Recipe>) };
  } catch {
    return DEFAULT_RECIPE;
  }
};

interface Props {
  api: PhotoPoolApi<File>;
  onReconnect?: (fn: () => void) => () => void;
  connected: boolean;
}

/** The whole UI. */
export function App({ api, onReconnect, connected }: Props) {
  const { snapshot, version } = useModel(api, onReconnect);
  const [recipe, setRecipe] = useState<Recipe>(loadRecipe);
  const [problems, setProblems] = useState<Problems>({});
  const [message, setMessage] = useState<string | null>(null);
  const [picker, setPicker] = useState<'input' | 'output' | null>(null);
  const [workers, setWorkers] = useState<number | null>(null);
  const [tab, setTab] = useState<Tab>(() => (sessionStorage.getItem(TAB_KEY) === 'compare' ? 'compare' : 'convert'));
  const [, rerender] = useState(0);
  const batch = snapshot?.batch ?? null;
  const cores = snapshot?.cores ?? 1;
  const active = !!batch && batch.state !== 'done';

  useEffect(() => localStorage.setItem(RECIPE_KEY, JSON.stringify(recipe)), [recipe]);
  useEffect(() => sessionStorage.setItem(TAB_KEY, tab), [tab]);
  useEffect(() => {
    if (active && batch) setWorkers(batch.workers);
  }, [active, batch?.batchId, batch?.workers]);

  if (!snapshot) return <p className="loading">{connected ? 'Loading…' : 'Connecting to PhotoPool…'}</p>;
  const shownWorkers = workers ?? cores;
  const folders = snapshot.folders;
  const fail = (err: unknown) => {
    if (err instanceof RequestError && err.problems?.length) setProblems(problemsOf(err.problems));
    setMessage((err as Error).message);
  };

  const added = (list: FolderInfo[]) => {
    for (const f of list) if (!snapshot.folders.some((x) => x.path === f.path)) snapshot.folders.push(f);
    if (!recipe.output.trim() && list[0]) setRecipe({ ...recipe, output: `${list[0].path.replace(/[\\/]+$/, '')}-photopool` });
    setProblems((p) => ({ ...p, inputs: undefined }));
    rerender((n) => n + 1);
  };
  const remove = (path: string) => {
    void api.removeFolder({ path }).catch(fail);
    snapshot.folders = snapshot.folders.filter((f) => f.path !== path);
    rerender((n) => n + 1);
  };
  const pick = async (purpose: 'input' | 'output') => {
    const r = await api.pickFolder({ purpose }).catch((e: unknown) => (fail(e), null));
    if (!r) return;
    if (!r.supported) return setPicker(purpose);
    if (r.path) await chosen(purpose, r.path);
  };
  const chosen = async (purpose: 'input' | 'output', path: string) => {
    setPicker(null);
    if (purpose === 'output') setRecipe({ ...recipe, output: path });
    else await api.addFolder({ path }).then((f) => added([f]), fail);
  };
  const convert = async () => {
    setMessage(null);
    const v = validate(recipe, folders.map((f) => f.path), shownWorkers);
    if (v.problems) {
      setProblems(v.problems);
      setMessage('Some values need fixing: see the marked fields.');
      return;
    }
    setProblems({});
    await api.start({ spec: v.spec }).catch(fail);
  };
  const changeWorkers = (n: number) => {
    setWorkers(n);
    if (active) void api.setWorkers({ workers: n }).catch(fail);
  };
  const restart = async () => {
    try {
      await api.restartEngine({});
      if (snapshot.engine.canResume && batch) await api.resume({ output: batch.spec.output, workers: shownWorkers });
      snapshot.engine = { alive: true, message: null, canResume: false };
      rerender((n) => n + 1);
    } catch (err) {
      fail(err);
    }
  };

  return (
    <div className="app" data-version={version}>
      <header>
        <h1>PhotoPool</h1>
        <span className="muted">{api.platform === 'browser' ? 'browser mode' : 'desktop'}</span>
        {!connected && <span className="error">Connection lost — reconnecting…</span>}
      </header>
      {!snapshot.engine.alive && (
        <div className="banner error" role="alert">
          <p>{snapshot.engine.message}</p>
          <button type="button" onClick={() => void restart()}>
            {snapshot.engine.canResume ? 'Restart engine and resume' : 'Restart engine'}
          </button>
        </div>
      )}
      {(message || snapshot.error) && (
        <div className="banner" role="status">
          {message ?? snapshot.error?.message}
        </div>
      )}
      <Tabs tabs={TABS} selected={tab} onSelect={setTab} />
      {tab === 'compare' ? (
        <main role="tabpanel" id="panel-compare" aria-labelledby="tab-compare">
          <CompareView
            api={api}
            folders={folders}
            cores={cores}
            bench={snapshot.bench}
            batch={batch}
            blocked={!snapshot.engine.alive ? 'The engine is not running.' : active ? 'A batch is running: a comparison needs the machine to itself.' : null}
            onError={setMessage}
            inputs={<Inputs api={api} folders={folders} onAdded={added} onRemove={remove} onPick={() => void pick('input')} onError={setMessage} />}
          />
        </main>
      ) : (
        <main role="tabpanel" id="panel-convert" aria-labelledby="tab-convert">
          <div className="col">
            <Inputs api={api} folders={folders} onAdded={added} onRemove={remove} onPick={() => void pick('input')} onError={setMessage} />
            {problems.inputs && <p className="error">{problems.inputs}</p>}
            <RecipeForm recipe={recipe} problems={problems} disabled={active} onChange={setRecipe} onPickOutput={() => void pick('output')} />
          </div>
          <div className="col">
            <Controls
              batch={batch}
              cores={cores}
              workers={shownWorkers}
              canConvert={snapshot.engine.alive && !snapshot.bench?.running}
              onWorkers={changeWorkers}
              onConvert={() => void convert()}
              onPause={() => void api.pause({}).catch(fail)}
              onResume={() => void api.continue({}).catch(fail)}
              onCancel={() => void api.cancel({}).catch(fail)}
            />
            {batch && <LiveView batch={batch} expected={folders.filter((f) => batch.spec.inputs.includes(f.path)).reduce((n, f) => n + f.images, 0)} />}
            {batch && <Chart batch={batch} version={version} />}
            {batch && <Failures rows={batch.failures} version={version} />}
            {batch && <Preview api={api} recent={batch.recent} />}
          </div>
        </main>
      )}
      {picker && <FolderPicker api={api} title={picker === 'input' ? 'Add folder' : 'Choose the output folder'} onChoose={(p) => void chosen(picker, p)} onClose={() => setPicker(null)} />}
    </div>
  );
}
