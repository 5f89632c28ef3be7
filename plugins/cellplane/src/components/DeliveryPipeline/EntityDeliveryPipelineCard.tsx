import { InfoCard, Progress } from '@backstage/core-components';
import { discoveryApiRef, fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { cellplaneCoordinatesOf } from '@cellplane/backstage-plugin-common';
import { ComponentType, useEffect, useState } from 'react';
import type { DeliveryPipelineCardProps } from './DeliveryPipelineCard';
import { readPipelineAhead } from './pipelineReadAhead';

type Card = ComponentType<DeliveryPipelineCardProps>;
let cardCode: Promise<Card> | undefined;
/** Set once the code is here: a card mounted later draws at once, without a loading frame. */
let loadedCard: Card | undefined;
/** The card's code (MUI, its columns and actions), loaded once for the app. */
const loadCard = () =>
  (cardCode ??= import('./DeliveryPipelineCard').then(module => {
    loadedCard = module.DeliveryPipelineCard;
    return loadedCard;
  }));

/**
 * The delivery pipeline card for the component entity of the page. This part is small and in the
 * app's main bundle (plugin.tsx imports it, not lazily): it starts the pipeline's read and the
 * card's code at once, and shows the card through its own state rather than a lazy component.
 * A lazy component suspends, and React 18 holds back showing a resolved Suspense boundary while
 * anything else on the page is still suspended (the entity page's other cards, the About card's
 * Markdown chunk): bench/ui/profile.ts saw the card's code ready at ~430 ms and the card shown
 * only at ~720-1100 ms, about 90 ms after the last chunk of the page. A state update is not held.
 */
export function EntityDeliveryPipelineCard() {
  const { entity } = useEntity();
  const coordinates = cellplaneCoordinatesOf(entity);
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const namespace = coordinates?.namespace;
  const component = coordinates?.component;
  // In the render, once per card: both reads begin before React shows anything (see pipelineReadAhead).
  useState(() => {
    if (!namespace || !component) return;
    loadCard().catch(() => undefined);
    readPipelineAhead({ discoveryApi, fetchApi }, namespace, component);
  });
  const [card, setCard] = useState<{ Card?: Card; error?: Error }>(() => ({ Card: loadedCard }));
  useEffect(() => {
    if (card.Card) return undefined;
    let active = true;
    loadCard().then(
      Card => active && setCard({ Card }),
      error => active && setCard({ error }),
    );
    return () => {
      active = false;
    };
    // Once: the card's code does not change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (!namespace || !component) return null;
  if (card.Card) return <card.Card namespace={namespace} component={component} />;
  return (
    <InfoCard title="Delivery pipeline">
      {card.error ? (
        <span role="alert">
          The delivery pipeline could not be loaded ({card.error.message}). Reload the page; if it persists, the app was
          probably updated since this page was opened.
        </span>
      ) : (
        <div data-testid="delivery-pipeline-loading">
          <Progress />
        </div>
      )}
    </InfoCard>
  );
}
