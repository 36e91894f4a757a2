import { AttributeValueType } from '../../../src-shared/enums/entity';
import { UPLOAD_CHUNK_BYTES } from '../../../src-shared/model/attribute';
import type { HandlerMap } from '../../ipc/router';
import type { AttributeManager } from './attribute-manager';
import type { FileStore } from './file-store';

const done = { ok: true } as const;

export function attributeHandlers(
  attributes: AttributeManager,
  files: FileStore,
): HandlerMap<
  | 'attribute.list'
  | 'attribute.create'
  | 'attribute.update'
  | 'attribute.delete'
  | 'attribute.restore'
  | 'attribute.history.get'
  | 'attribute.history.restore'
  | 'attribute.reorder'
  | 'file.upload.begin'
  | 'file.upload.chunk'
  | 'file.upload.cancel'
> {
  return {
    'attribute.list': ({ owner, deleted }) => attributes.list(owner, { deleted }),
    'attribute.create': ({ owner, name, valueType, value, choices, uploadId }) =>
      attributes.create(owner, { name, valueType: AttributeValueType.fromName(valueType), value, choices, uploadId }),
    'attribute.update': ({ owner, attributeId, name, value, uploadId }) => attributes.update(owner, attributeId, { name, value, uploadId }),
    'attribute.delete': ({ owner, attributeId }) => attributes.setDeleted(owner, attributeId, true),
    'attribute.restore': ({ owner, attributeId }) => attributes.setDeleted(owner, attributeId, false),
    'attribute.history.get': ({ owner, attributeId }) => attributes.history(owner, attributeId),
    'attribute.history.restore': ({ owner, historyId }) => attributes.restoreHistory(owner, historyId),
    'attribute.reorder': async ({ owner, attributeIds }) => {
      await attributes.reorder(owner, attributeIds);
      return done;
    },
    'file.upload.begin': ({ fileName, size }, { panel }) => ({ ...files.begin(fileName, size, panel.id), chunkBytes: UPLOAD_CHUNK_BYTES }),
    'file.upload.chunk': ({ uploadId, offset, data }) => files.chunk(uploadId, offset, data),
    'file.upload.cancel': ({ uploadId }) => {
      files.cancel(uploadId);
      return done;
    },
  };
}
