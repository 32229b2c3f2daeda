// The page's entry point. It opens the link to the engine first and loads the
// React UI as a second chunk: the WebSocket handshake and hello/context then
// happen while the browser fetches and evaluates React (the connection holds
// the events until the UI subscribes).
import { pageConnection } from './bridge/page-connection';
import './styles/index.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

void import('./mount').then(({ mount }) => mount(root, pageConnection));
