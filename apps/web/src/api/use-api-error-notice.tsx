import { App } from 'antd';
import { useCallback } from 'react';
import { type Translate, useT } from '../i18n/index.ts';
import { isApiError } from './client.ts';

export type ApiErrorDescription = {
  title: string;
  detail: string | undefined;
  code: string | undefined;
  instance: string | undefined;
  fields: ReadonlyArray<{ label: string; message: string }>;
};

/**
 * Turns any thrown value into text for the user, under `title` (what the user was doing).
 * A problem's `detail` is already in the caller's language; its `title` is the HTTP reason
 * phrase, always English, so it is shown only when there is no detail.
 */
export function describeApiError(error: unknown, t: Translate, title = t('apiError.title')): ApiErrorDescription {
  const none = { code: undefined, instance: undefined, fields: [] };
  if (isApiError(error)) {
    if (error.kind === 'problem') {
      return {
        title,
        detail: error.detail ?? error.title,
        code: error.code,
        instance: error.problem?.instance,
        fields: error.fields.map((field) => ({ label: field.path.join('.'), message: field.message })),
      };
    }
    if (error.kind === 'network') return { ...none, title, detail: t('apiError.network') };
    return { ...none, title, detail: t('apiError.unexpected', { status: error.status }) };
  }
  return { ...none, title, detail: error instanceof Error ? error.message : undefined };
}

/** Returns a function that shows a failed API call as an antd notification. */
export function useApiErrorNotice(): (error: unknown) => void {
  const { notification } = App.useApp();
  const t = useT();
  return useCallback(
    (error: unknown) => {
      const description = describeApiError(error, t);
      notification.error({
        title: description.title,
        description: <ApiErrorBody description={description} t={t} />,
      });
    },
    [notification, t],
  );
}

export function ApiErrorBody({ description, t }: { description: ApiErrorDescription; t: Translate }) {
  return (
    <>
      {description.detail && <p className="api-error-detail">{description.detail}</p>}
      {description.fields.length > 0 && (
        <ul className="api-error-fields">
          {description.fields.map((field) => (
            <li key={`${field.label}:${field.message}`}>
              {field.label ? <strong className="api-error-field-path">{field.label}</strong> : null}
              {field.message}
            </li>
          ))}
        </ul>
      )}
      {description.code && (
        <p className="api-error-code">
          {t('apiError.code', { code: description.code })}
          {description.instance && ` · ${t('apiError.instance', { instance: description.instance })}`}
        </p>
      )}
    </>
  );
}
