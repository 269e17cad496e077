import { useState } from 'react';
import type { Me, TransitionAbility } from '../endpoints';
import { type ExtraStepFields, TransitionDialog } from '../record/TransitionDialog';
import type { RecordTypeConfig } from '../record/types';
import type { CapaDetail } from './endpoints';
import { RiskMatrix } from './RiskMatrix';

const riskFields = ['riskSeverity', 'riskOccurrence'];

interface StepProps {
  record: CapaDetail;
  transition: TransitionAbility;
  config: RecordTypeConfig<CapaDetail>;
  me: Me;
  onClose: () => void;
  onReload: () => void;
}

/** Starting the investigation confirms the problem and rates the risk on the matrix (numbers, not text inputs). */
export function StartInvestigationStep(props: StepProps) {
  const [severity, setSeverity] = useState<number | null>(props.record.data.riskSeverity);
  const [occurrence, setOccurrence] = useState<number | null>(props.record.data.riskOccurrence);
  const transition: TransitionAbility = {
    ...props.transition,
    requiredFields: props.transition.requiredFields.filter((f) => !riskFields.includes(f)),
    optionalFields: (props.transition.optionalFields ?? []).filter((f) => !riskFields.includes(f)),
  };
  const extra: ExtraStepFields = {
    names: riskFields,
    validate: (): Record<string, string> => (severity && occurrence ? {} : { riskSeverity: 'Rate the risk: click the cell for its severity and occurrence' }),
    payload: () => ({ riskSeverity: severity, riskOccurrence: occurrence }),
    render: (errorFor) => (
      <RiskMatrix
        label="Risk"
        required
        severity={severity}
        occurrence={occurrence}
        onChange={(s, o) => {
          setSeverity(s);
          setOccurrence(o);
        }}
        error={errorFor('riskSeverity') ?? errorFor('riskOccurrence')}
      />
    ),
  };
  return <TransitionDialog {...props} transition={transition} extra={extra} />;
}
