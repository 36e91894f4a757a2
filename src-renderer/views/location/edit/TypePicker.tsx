import { useState } from 'preact/hooks';
import { ENTITY_TYPE_SHAPE, EntityType, type EntityTypeValue } from '../../../../src-shared/enums/entity';
import { EntityIcon } from '../../../components/entity-icons';
import { Modal } from './Modal';

interface TypePickerProps {
  /** After drawing: only the types drawn as that shape (and Other). */
  shape: 'area' | 'line' | null;
  onCancel(): void;
  onCreate(type: EntityTypeValue, name: string): Promise<unknown>;
}

/** Chooses what a new item is: every entity type with its icon, and a name that follows the type until edited. */
export function TypePicker({ shape, onCancel, onCreate }: TypePickerProps) {
  const types = EntityType.members.filter((m) => shape === null || ENTITY_TYPE_SHAPE[m.value] === shape || m === EntityType.OTHER);
  const [type, setType] = useState<EntityTypeValue | null>(null);
  const [name, setName] = useState('');
  const [nameEdited, setNameEdited] = useState(false);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    if (!type) return;
    setBusy(true);
    try {
      await onCreate(type, name.trim());
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={shape ? `What is this ${shape}?` : 'Add an item'}
      testId="type-picker"
      onClose={onCancel}
      actions={
        <>
          <label class="picker-name">
            Name
            <input
              data-testid="new-entity-name"
              value={name}
              onInput={(e) => {
                setName(e.currentTarget.value);
                setNameEdited(e.currentTarget.value.trim() !== '');
              }}
            />
          </label>
          <button type="button" class="secondary" data-testid="type-picker-cancel" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" data-testid="type-picker-confirm" disabled={!type || name.trim() === '' || busy} onClick={() => void create()}>
            Add
          </button>
        </>
      }
    >
      <div class="type-grid">
        {types.map((member) => (
          <button
            type="button"
            key={member.value}
            class={member.value === type ? 'type-option chosen' : 'type-option'}
            aria-pressed={member.value === type}
            title={member.description}
            data-testid={`type-option-${member.value}`}
            onClick={() => {
              setType(member.value);
              if (!nameEdited) setName(member.label);
            }}
          >
            <EntityIcon type={member.value} size={36} />
            <span>{member.label}</span>
          </button>
        ))}
      </div>
    </Modal>
  );
}
