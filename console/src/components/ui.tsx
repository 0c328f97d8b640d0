// Shared building blocks of the console pages: links, headings, tables, forms, confirmations, loading.
import type { ComponentChildren, TargetedEvent } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../lib/api';
import type { LiveState } from '../lib/events';
import { PERIODS, PERIOD_LABELS } from '../lib/period';
import { BASE, linkClick } from '../lib/router';

export function Link(props: {
  to: string;
  children: ComponentChildren;
  class?: string;
  'aria-current'?: 'page';
  'aria-label'?: string;
}) {
  return (
    <a
      href={BASE + props.to}
      class={props.class}
      aria-current={props['aria-current']}
      aria-label={props['aria-label']}
      onClick={(e) => linkClick(e as unknown as MouseEvent, props.to)}
    >
      {props.children}
    </a>
  );
}

let firstTitle = true;

/** The page title: sets document.title and takes focus after a navigation (screen readers announce it). */
export function PageTitle(props: { children: string; actions?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.children} · Pipegate console`;
    // Not on the first page of a visit: focus then stays at the start (the skip link comes first).
    if (firstTitle) firstTitle = false;
    else ref.current?.focus();
  }, [props.children]);
  return (
    <div class="page-head">
      <h1 id="page-title" tabIndex={-1} ref={ref}>
        {props.children}
      </h1>
      {props.actions ? <div class="page-actions">{props.actions}</div> : null}
    </div>
  );
}

/** A horizontally scrollable, keyboard-focusable table region (phones). */
export function TableWrap(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={props.label} tabIndex={0}>
      <table>
        <caption class="sr-only">{props.label}</caption>
        {props.children}
      </table>
    </div>
  );
}

export function ErrorBox(props: { error: unknown }) {
  if (!props.error) return null;
  const e = props.error;
  const text =
    e instanceof ApiError
      ? `${e.message}${e.code ? ` (${e.code})` : ''}`
      : e instanceof Error
        ? e.message
        : String(e);
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}

export function Notice(props: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {props.children}
    </p>
  );
}

export function Loading() {
  return (
    <p class="muted" role="status">
      Loading…
    </p>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="muted">{props.children}</p>;
}

/** Loads `load()` when `deps` change; `reload()` loads again. */
export function useData<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
): {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
} {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}

export function PeriodSelect(props: { value: string; onChange: (v: string) => void; id?: string }) {
  const id = props.id ?? 'period';
  return (
    <div class="field">
      <label for={id}>Period</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {PERIODS.map((p) => (
          <option value={p} key={p}>
            {PERIOD_LABELS[p]}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  placeholder?: string;
  type?: 'text' | 'password' | 'datetime-local';
  required?: boolean;
  autoComplete?: string;
  hint?: string;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        placeholder={props.placeholder}
        required={props.required}
        autoComplete={props.autoComplete}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.hint ? (
        <small id={`${props.id}-hint`} class="muted">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}

export function SelectField(props: {
  id: string;
  label: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange: (v: string) => void;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        {props.options.map(([v, l]) => (
          <option value={v} key={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * A button that asks first: a modal <dialog> (focus moves into it, Escape cancels) with the question
 * and Confirm / Cancel; `onConfirm` runs on Confirm and its error is shown in the dialog.
 */
export function ConfirmButton(props: {
  label: string;
  question: string;
  confirmLabel?: string;
  onConfirm: () => Promise<unknown>;
  danger?: boolean;
  disabled?: boolean;
  class?: string;
  'aria-label'?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const open = (): void => {
    setError(null);
    ref.current?.showModal();
  };
  const confirm = async (): Promise<void> => {
    setBusy(true);
    try {
      await props.onConfirm();
      ref.current?.close();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        class={`${props.danger ? 'danger' : ''} ${props.class ?? ''}`}
        onClick={open}
        disabled={props.disabled}
        aria-label={props['aria-label']}
      >
        {props.label}
      </button>
      <dialog ref={ref} class="confirm" aria-label="Confirm">
        <p>{props.question}</p>
        <ErrorBox error={error} />
        <div class="row">
          <button
            type="button"
            class={props.danger ? 'danger' : 'primary'}
            disabled={busy}
            onClick={() => void confirm()}
          >
            {props.confirmLabel ?? 'Confirm'}
          </button>
          <button type="button" onClick={() => ref.current?.close()} disabled={busy} autoFocus>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}

export function LiveBadge(props: { state: LiveState }) {
  const text: Record<LiveState, string> = {
    live: 'Live',
    connecting: 'Connecting…',
    offline: 'Live updates unavailable',
    off: 'Paused',
  };
  return (
    <span class={`badge live-${props.state}`} role="status" aria-live="polite">
      {text[props.state]}
    </span>
  );
}

export function Badge(props: { kind: string; children: ComponentChildren }) {
  return <span class={`badge b-${props.kind}`}>{props.children}</span>;
}

/** A filter form: Enter or the Apply button submits. */
export function FilterForm(props: {
  label: string;
  onSubmit: () => void;
  onReset?: () => void;
  children: ComponentChildren;
}) {
  const submit = (e: TargetedEvent<HTMLFormElement>): void => {
    e.preventDefault();
    props.onSubmit();
  };
  return (
    <form class="filters" role="search" aria-label={props.label} onSubmit={submit}>
      {props.children}
      <div class="field buttons">
        <button type="submit" class="primary">
          Apply
        </button>
        {props.onReset ? (
          <button type="button" onClick={props.onReset}>
            Reset
          </button>
        ) : null}
      </div>
    </form>
  );
}
