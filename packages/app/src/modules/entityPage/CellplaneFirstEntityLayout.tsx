import {
  EntityOrphanWarning,
  EntityProcessingErrorsPanel,
  EntityRelationWarning,
  EntitySwitch,
  hasCatalogProcessingErrors,
  hasRelationWarnings,
  isOrphan,
} from '@backstage/plugin-catalog';
import { EntityContentLayoutProps } from '@backstage/plugin-catalog-react/alpha';
import { Flex, Grid } from '@backstage/ui';

/**
 * The overview of an entity page with its content cards first: Cellplane's delivery pipeline and
 * the repository's problems (first among the content cards by `app.extensions` in
 * app-config.yaml), then the other content cards, and the generic info cards (About, links,
 * labels) last. Catalog's default layout puts the info cards first in the page (a right-hand
 * column on wide screens, but the top of the page on narrow ones, and first for keyboard and
 * screen-reader users); here they come after, and sit beside the content on wide screens.
 */
export function CellplaneFirstEntityLayout(props: EntityContentLayoutProps) {
  const { cards } = props;
  // 'summary' is a removed card type; such cards are shown with the content.
  const infoCards = cards.filter(card => card.type === 'info');
  const contentCards = cards.filter(card => card.type !== 'info');
  return (
    <Flex direction="column" gap="4">
      <EntitySwitch>
        <EntitySwitch.Case if={isOrphan}>
          <EntityOrphanWarning />
        </EntitySwitch.Case>
      </EntitySwitch>
      <EntitySwitch>
        <EntitySwitch.Case if={hasRelationWarnings}>
          <EntityRelationWarning />
        </EntitySwitch.Case>
      </EntitySwitch>
      <EntitySwitch>
        <EntitySwitch.Case if={hasCatalogProcessingErrors}>
          <EntityProcessingErrorsPanel />
        </EntitySwitch.Case>
      </EntitySwitch>
      <Grid.Root columns={{ initial: '1', md: infoCards.length ? '3' : '1' }} gap="4">
        <Grid.Item colSpan={{ initial: '1', md: infoCards.length ? '2' : '1' }}>
          <Flex direction="column" gap="4" data-testid="entity-content-cards">
            {contentCards.map((card, index) => (
              <div key={card.element.key ?? index}>{card.element}</div>
            ))}
          </Flex>
        </Grid.Item>
        {infoCards.length > 0 && (
          <Grid.Item colSpan="1">
            <Flex direction="column" gap="4" data-testid="entity-info-cards">
              {infoCards.map((card, index) => (
                <div key={card.element.key ?? index}>{card.element}</div>
              ))}
            </Flex>
          </Grid.Item>
        )}
      </Grid.Root>
    </Flex>
  );
}
