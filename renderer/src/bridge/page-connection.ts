// The page's one link to the engine, opened when this module is first evaluated.
import { openConnection, type OpenedConnection } from './open-connection';

export const pageConnection: OpenedConnection = openConnection(window);
