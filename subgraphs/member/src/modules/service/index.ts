import { recordKind } from '../record-kind';
import { serviceWrites } from './service.writes';
import { serviceList } from './service.list';
import { serviceDataFile } from './service.data-file';
import { ServiceRecord } from './service.entity';
import { signedServiceFields, toService } from './service.mapper';
import { listMemberServices, loadService, ServiceResolver } from './service.resolver';
import { ServiceType } from './service.type';

/** Services a member runs (e-mail, VPN, hosting …), with their capacity nested. */
export const serviceKind = recordKind({
  name: 'services',
  entities: [ServiceRecord],
  resolvers: [ServiceResolver],
  lists: [serviceList],
  references: { Service: loadService },
  memberField: { name: 'services', type: ServiceType, list: listMemberServices },
  writes: serviceWrites,
  dataFile: serviceDataFile,
  signedFields: { Service: signedServiceFields },
  feed: { kind: 'SERVICE', type: ServiceType, toRecord: toService },
});
