import { Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useEffect, useState } from 'react';
import { CellModel, buildCell, outsideRefsOf, partRefsOf } from './cellModel';

/** The cell of a System entity, read from the catalog: its parts, then what they touch outside. */
export function useCell(system: Entity): { model?: CellModel; error?: Error } {
  const catalogApi = useApi(catalogApiRef);
  const [state, setState] = useState<{ model?: CellModel; error?: Error }>({});
  const systemKey = JSON.stringify([system.metadata.uid, system.metadata.etag, system.relations]);

  useEffect(() => {
    let active = true;
    (async () => {
      const present = (items: Array<Entity | undefined>) => items.filter((e): e is Entity => !!e);
      const parts = present((await catalogApi.getEntitiesByRefs({ entityRefs: partRefsOf(system) })).items);
      const outsideRefs = outsideRefsOf(parts);
      const outside = outsideRefs.length
        ? present((await catalogApi.getEntitiesByRefs({ entityRefs: outsideRefs })).items)
        : [];
      return buildCell(system, parts, outside);
    })().then(
      model => active && setState({ model }),
      error => active && setState({ error }),
    );
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, systemKey]);

  return state;
}
