import { describeBusContract } from '../bus-contract.ts';
import { createInProcessBus } from './in-process-bus.ts';

// Every "instance" of one process shares its one in-process bus; that is the whole reach of this adapter.
const shared = createInProcessBus();
describeBusContract('in-process', () => shared);
