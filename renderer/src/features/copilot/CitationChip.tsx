import { useEffect, useRef, useState } from 'react';
import type { CopilotCitation } from '../../../../shared/contract/copilot';
import { errorMessage } from '../../api/client';
import { useCall } from '../../api/queries';
import { Modal } from '../../ui/Modal';
import { useApp } from '../../app/store';
import { ErrorState, Loading } from '../../ui/states';
import { copyText } from '../../ui/clipboard';

// A citation as a chip: an article opens in a reader; an object of the customer is highlighted in
// the working pane when it is on screen, and its id can be copied.

const KIND_LABEL: Record<CopilotCitation['kind'], string> = {
  customer: 'Customer',
  invoice: 'Invoice',
  subscription: 'Subscription',
  payment_attempt: 'Payment',
  payment_method: 'Card',
  kb: 'Article',
};

export function CitationChip({ citation }: { citation: CopilotCitation }) {
  const [reading, setReading] = useState(false);
  const toast = useApp((s) => s.showToast);
  const open = async () => {
    if (citation.kind === 'kb') {
      setReading(true);
      return;
    }
    const target = document.querySelector(`[data-object-id="${CSS.escape(citation.ref)}"]`);
    if (target) {
      target.scrollIntoView({ block: 'center', behavior: 'smooth' });
      target.classList.add('cp-flash');
      setTimeout(() => target.classList.remove('cp-flash'), 1500);
    }
    window.dispatchEvent(new CustomEvent('bsc:focus-object', { detail: { id: citation.ref } }));
    try {
      await copyText(citation.ref);
      toast(`${KIND_LABEL[citation.kind]} id ${citation.ref} copied.`);
    } catch {
      toast(`${citation.ref}`);
    }
  };
  return (
    <>
      <button type="button" className={`cp-chip cp-chip-${citation.kind}`} onClick={open} title={`${KIND_LABEL[citation.kind]}: ${citation.label} (${citation.ref})`} aria-label={`Source: ${KIND_LABEL[citation.kind]} ${citation.label}`}>
        {citation.kind === 'kb' ? citation.label : citation.label.length > 28 ? `${citation.label.slice(0, 27)}…` : citation.label}
      </button>
      {reading && <ArticleReader refId={citation.ref} onClose={() => setReading(false)} />}
    </>
  );
}

export function ArticleReader({ refId, onClose }: { refId: string; onClose: () => void }) {
  const article = useCall('kb.get', { ref: refId });
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <Modal onClose={onClose} aria-labelledby="cp-article-title">
      <div className="cp-dialog cp-article">
        <div className="cp-dialog-head">
          <h3 id="cp-article-title">{article.data?.title ?? 'Knowledge base'}</h3>
          <button ref={closeRef} type="button" className="icon-button" onClick={onClose} aria-label="Close the article">
            ×
          </button>
        </div>
        {article.error ? <ErrorState message={errorMessage(article.error)} /> : article.data ? <pre className="cp-article-body">{article.data.body}</pre> : <Loading label="Opening the article…" />}
      </div>
    </Modal>
  );
}
