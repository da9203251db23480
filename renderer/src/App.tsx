/** The PhotoPool window: inputs, recipe and output on the left; run, progress and results on the right. */
import { ClusterSettings } from './components/ClusterSettings.js';
import { useFinishNotification } from './notify.js';
import { lastInputs, lastOutput, rememberBatch, rememberForm, rememberWorkers, savedForm, savedWorkers, settingsProblem } from './settings.js';
import { useEffect, useRef, useState } from 'react';
import type { FolderInfo, PhotoPoolApi } from '../../common/contract.js';
import { RequestError } from '../../common/wire.js';
import { Announcer } from './components/Announcer.js';
import { useDebounced } from './debounce.js';
import { Chart } from './components/Chart.js';
import { CompareView } from './components/CompareView.js';
import { Controls } from './components/Controls.js';
import { Outcomes } from './components/Failures.js';
import { FolderPicker } from './components/FolderPicker.js';
import { Inputs } from './components/Inputs.js';
import { LiveView } from './components/LiveView.js';
import { Notice, type Notices, type Scope } from './components/Notice.js';
import { Preview } from './components/Preview.js';
import { OutputForm, RecipeForm } from './components/RecipeForm.js';
import { Still } from './components/Still.js';
import { Summary } from './components/Summary.js';
import { Tabs } from './components/Tabs.js';
import { UnfinishedDialog } from './components/UnfinishedDialog.js';
import { useModel } from './model.js';
import { blockedReason, checkRecipe, previewJobOf, problemsOf, validate, type Problems, type Recipe } from './recipe.js';
import { numbersOf } from './status.js';

/** Which batch a resume continues: by its output folder, or a beside-input batch by its inputs. */
type ResumeTarget = { output: string } | { inputs: string[] };

const TAB_KEY = 'photopool.tab';
const RESTORED_KEY = 'photopool.restored';
const SETTINGS_NOTE_KEY = 'photopool.settings-note-dismissed';
const TABS = [
  { id: 'convert', label: 'Convert' },
  { id: 'compare', label: 'Compare' },
] as const;
type Tab = (typeof TABS)[number]['id'];

interface Props {
  api: PhotoPoolApi<File>;
  onReconnect?: (fn: () => void) => () => void;
  connected: boolean;
}

/** The whole UI. */
export function App({ api, onReconnect, connected }: Props) {
  const { snapshot, version } = useModel(api, onReconnect);
  const [recipe, setRecipe] = useState<Recipe>(savedForm);
  const [appProblems, setAppProblems] = useState<Problems>({});
  const [notices, setNotices] = useState<Notices>({});
  const [unfinished, setUnfinished] = useState<{ where: ResumeTarget; message: string } | null>(null);
  /** Convert was pressed and the app has not answered yet: no sample preview starts meanwhile (it would land in the batch). */
  const [starting, setStarting] = useState(false);
  const [picker, setPicker] = useState<'input' | 'output' | null>(null);
  const [workers, setWorkers] = useState<number | null>(savedWorkers);
  const [tab, setTab] = useState<Tab>(() => (sessionStorage.getItem(TAB_KEY) === 'compare' ? 'compare' : 'convert'));
  const [, rerender] = useState(0);
  const renders = useRef(0); // the page's renders, beside the model's updates (data-version): e2e/redraw.spec.ts
  renders.current++;
  const batch = snapshot?.batch ?? null;
  const cores = snapshot?.cores ?? 1;
  const active = !!batch && batch.state !== 'done';
  const folders = snapshot?.folders ?? [];
  const expected = batch ? folders.filter((f) => batch.spec.inputs.includes(f.path)).reduce((n, f) => n + f.files, 0) : 0;
  const numbers = batch ? numbersOf(batch, expected) : null;
  useFinishNotification(batch, api.platform === 'browser');

  useEffect(() => rememberForm(recipe), [recipe]);
  useEffect(() => sessionStorage.setItem(TAB_KEY, tab), [tab]);
  const [settingsNote, setSettingsNote] = useState(() => (sessionStorage.getItem(SETTINGS_NOTE_KEY) === settingsProblem() ? null : settingsProblem()));
  // the last batch's input folders come back when the page opens on an empty session (once per tab)
  const loaded = !!snapshot;
  useEffect(() => {
    if (!snapshot || sessionStorage.getItem(RESTORED_KEY)) return;
    sessionStorage.setItem(RESTORED_KEY, '1');
    const paths = lastInputs();
    if (snapshot.batch || snapshot.folders.length || !paths.length) return;
    setRecipe((r) => (r.output.trim() || r.besideInput ? r : { ...r, output: lastOutput() ?? '' }));
    void Promise.all(paths.map((path) => api.addFolder({ path }).catch(() => null))).then((list) => added(list.filter((f) => f !== null)));
  }, [loaded]);
  useEffect(() => {
    if (active && batch) setWorkers(batch.workers);
    // after a reload mid-batch the form shows where this batch writes
    if (active && batch && !batch.spec.besideInput) setRecipe((r) => (r.output.trim() ? r : { ...r, output: batch.spec.output }));
  }, [active, batch?.batchId, batch?.workers]);

  // (unchanged: no render; Convert clears its notice as a batch starts, when a render costs the batch CPU)
  const say = (scope: Scope, text: string | null) => setNotices((n) => (n[scope] === (text ?? undefined) ? n : { ...n, [scope]: text ?? undefined }));
  const fail = (scope: Scope) => (err: unknown) => {
    if (err instanceof RequestError && err.problems?.length) setAppProblems(problemsOf(err.problems));
    say(scope, (err as Error).message);
  };
  // the Workers slider fires on every step: send only the value it settles on
  const sendWorkers = useDebounced((n: number) => void api.setWorkers({ workers: n }).catch(fail('batch')));

  if (!snapshot) return <p className="loading">{connected ? 'Loading…' : 'Connecting to PhotoPool…'}</p>;
  const shownWorkers = workers ?? cores;
  const problems: Problems = { ...appProblems, ...checkRecipe(recipe) };
  const changeRecipe = (r: Recipe) => {
    setRecipe(r);
    setAppProblems({});
  };

  const added = async (list: FolderInfo[]) => {
    for (const f of list) if (!snapshot.folders.some((x) => x.path === f.path)) snapshot.folders.push(f);
    say('inputs', null);
    rerender((n) => n + 1);
    if (recipe.output.trim() || !list[0]) return;
    // dropped files live in a temporary staging folder: their outputs go somewhere that lasts
    const dropped = list.some((f) => f.label);
    const output = dropped
      ? (lastOutput() ?? (await api.suggestOutput({}).then((r) => r.path, () => '')))
      : `${list[0].path.replace(/[\\/]+$/, '')}-photopool`;
    setRecipe((r) => (r.output.trim() ? r : { ...r, output }));
  };
  const remove = (path: string) => {
    void api.removeFolder({ path }).catch(fail('inputs'));
    snapshot.folders = snapshot.folders.filter((f) => f.path !== path);
    rerender((n) => n + 1);
  };
  const pick = async (purpose: 'input' | 'output') => {
    const r = await api.pickFolder({ purpose }).catch((e: unknown) => (fail(purpose === 'input' ? 'inputs' : 'convert')(e), null));
    if (!r) return;
    if (!r.supported) return setPicker(purpose);
    if (r.path) await chosen(purpose, r.path);
  };
  const chosen = async (purpose: 'input' | 'output', path: string) => {
    setPicker(null);
    if (purpose === 'output') changeRecipe({ ...recipe, output: path });
    else await api.addFolder({ path }).then((f) => added([f]), fail('inputs'));
  };
  // a new set of inputs after a batch: preview and estimate the next run instead of the last one
  const nextRun = folders.length > 0 && (!batch || (!active && folders.map((f) => f.path).join('|') !== batch.spec.inputs.join('|')));
  const convert = async (fresh = false) => {
    say('convert', null);
    setUnfinished(null);
    const v = validate(recipe, folders.map((f) => f.path), shownWorkers);
    if (v.problems) return setAppProblems(v.problems);
    // only the recipe's sample preview (nextRun) depends on it: else no page render as the batch starts
    const hideSample = nextRun;
    if (hideSample) setStarting(true);
    try {
      await api.start({ spec: { ...v.spec, fresh } });
      // dropped files live in staging, which goes when PhotoPool stops: not worth restoring
      rememberBatch(folders.filter((f) => !f.label).map((f) => f.path), v.spec.besideInput ? null : v.spec.output, v.spec.workers ?? shownWorkers);
    } catch (err) {
      // the engine's `unfinished-batch` refusal: a dialog offers both ways on
      if (err instanceof RequestError && err.code === 'unfinished-batch') setUnfinished({ where: v.spec.besideInput ? { inputs: v.spec.inputs } : { output: v.spec.output }, message: err.message });
      else fail('convert')(err);
    } finally {
      if (hideSample) setStarting(false);
    }
  };
  const resumeUnfinished = (where: ResumeTarget) => {
    setUnfinished(null);
    say('convert', null);
    void api.resume({ ...where, workers: shownWorkers }).catch(fail('convert'));
  };
  const retry = batch?.finished && !active && batch.counts.failed > 0 ? () => void api.start({ spec: { ...batch.spec, naming: { ...batch.spec.naming, collision: 'skip' } } }).catch(fail('convert')) : null;
  const changeWorkers = (n: number) => {
    setWorkers(n);
    rememberWorkers(n);
    if (active) sendWorkers(n);
  };
  const restart = async () => {
    try {
      await api.restartEngine({});
      if (snapshot.engine.canResume && batch) await api.resume({ output: batch.spec.output, workers: shownWorkers });
      snapshot.engine = { alive: true, message: null, canResume: false };
      rerender((n) => n + 1);
    } catch (err) {
      fail('batch')(err);
    }
  };
  const blocked = blockedReason({ engineAlive: snapshot.engine.alive, benchRunning: !!snapshot.bench?.running, folders, recipe, problems });
  // while a batch runs, the page's redraws leave the inputs, the recipe and the settings alone
  const still = JSON.stringify([recipe, problems, folders, notices.inputs, picker, tab]);
  const inputs = <Inputs api={api} folders={folders} onAdded={(l) => void added(l)} onRemove={remove} onPick={() => void pick('input')} onError={(m) => say('inputs', m)} notice={<Notice scope="inputs" notices={notices} onDismiss={say} />} />;

  return (
    <div className="app" data-version={version} data-renders={renders.current}>
      <header>
        <h1>PhotoPool</h1>
        <span className="muted">{api.platform === 'browser' ? 'browser mode' : 'desktop'}</span>
        {!connected && <span className="error">Connection lost — reconnecting…</span>}
      </header>
      <Announcer batch={batch} numbers={numbers} expected={expected} />
      {!snapshot.engine.alive && (
        <div className="banner error" role="alert">
          <p>{snapshot.engine.message}</p>
          <button type="button" onClick={() => void restart()}>
            {snapshot.engine.canResume ? 'Restart engine and resume' : 'Restart engine'}
          </button>
        </div>
      )}
      {settingsNote && (
        <div className="banner" role="alert" data-testid="settings-problem">
          <p>{settingsNote}</p>
          <button
            type="button"
            className="small"
            aria-label="Dismiss"
            onClick={() => {
              sessionStorage.setItem(SETTINGS_NOTE_KEY, settingsNote);
              setSettingsNote(null);
            }}
          >
            ✕
          </button>
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
            recipe={recipe}
            blocked={!snapshot.engine.alive ? 'The engine is not running.' : active ? 'A batch is running: a comparison needs the machine to itself.' : null}
            notice={<Notice scope="compare" notices={notices} onDismiss={say} />}
            onError={(m) => say('compare', m)}
            inputs={inputs}
          />
        </main>
      ) : (
        <main role="tabpanel" id="panel-convert" aria-labelledby="tab-convert">
          <div className="col">
            <Still hold={active} sig={still}>
              {inputs}
              <RecipeForm recipe={recipe} problems={problems} disabled={active} onChange={changeRecipe} />
            </Still>
          </div>
          <div className="col run">
            <Still hold={active} sig={still}>
              <OutputForm recipe={recipe} problems={problems} disabled={active} inputs={folders} onChange={changeRecipe} onPickOutput={() => void pick('output')} />
            </Still>
            <Controls
              batch={batch}
              cores={cores}
              workers={shownWorkers}
              blocked={blocked}
              onWorkers={changeWorkers}
              onConvert={() => void convert()}
              onPause={() => void api.pause({}).catch(fail('batch'))}
              onResume={() => void api.continue({}).catch(fail('batch'))}
              onCancel={() => void api.cancel({}).catch(fail('batch'))}
            />
            <Still hold={active} sig={still}>
              <ClusterSettings api={api} disabled={active} />
            </Still>
            <Notice scope="convert" notices={notices} onDismiss={say} />
            <Notice scope="batch" notices={notices} onDismiss={say} />
            {!batch && !folders.length && <EmptyRun />}
            {nextRun && !starting && <Preview api={api} recent={null} job={previewJobOf(recipe)} inputsKey={folders.map((f) => `${f.path}:${f.images}:${f.done}`).join('|')} version={version} />}
            {batch && numbers && <Summary api={api} batch={batch} numbers={numbers} onRetry={retry} />}
            {batch?.finished && <Outcomes kind="failed" rows={batch.failures} count={batch.counts.failed} version={version} />}
            {batch && numbers && <LiveView batch={batch} numbers={numbers} />}
            {batch && (
              <div className="results">
                <Chart batch={batch} version={version} />
                {!batch.finished && <Outcomes kind="failed" rows={batch.failures} count={batch.counts.failed} version={version} />}
                {batch.counts.skipped > 0 && <Outcomes kind="skipped" rows={batch.skipped} count={batch.counts.skipped} version={version} />}
              </div>
            )}
            {batch && !nextRun && <Preview api={api} recent={batch.recent} live={active && batch.state !== 'paused'} job={null} inputsKey="" version={version} />}
          </div>
        </main>
      )}
      {unfinished && (
        <UnfinishedDialog
          output={'output' in unfinished.where ? unfinished.where.output : `${unfinished.where.inputs.join(', ')} (outputs beside the inputs)`}
          message={unfinished.message}
          onResume={() => resumeUnfinished(unfinished.where)}
          onStartOver={() => void convert(true)}
          onCancel={() => setUnfinished(null)}
        />
      )}
      {picker && <FolderPicker api={api} title={picker === 'input' ? 'Add folder' : 'Choose the output folder'} onChoose={(p) => void chosen(picker, p)} onClose={() => setPicker(null)} />}
    </div>
  );
}

/** What the right column says before the first batch. */
function EmptyRun() {
  return (
    <section className="card empty-run" aria-label="How to start">
      <ol>
        <li>Add photos: drop a folder or files on the left, or type a folder path.</li>
        <li>Check the recipe: size, grayscale, format and quality.</li>
        <li>Check the output folder: your originals are never changed.</li>
        <li>Press Convert. You can pause, cancel or change the number of workers at any time.</li>
      </ol>
    </section>
  );
}
