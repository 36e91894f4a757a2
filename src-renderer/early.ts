import { openEarlyConnection } from './early-connection';

openEarlyConnection(window);
