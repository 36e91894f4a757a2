import { LocationScreen } from '../location/LocationScreen';

export function HomeScreen() {
  return (
    <section class="home-screen" data-testid="home-screen">
      <LocationScreen />
    </section>
  );
}
